package dev.datamigrate.aot;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.util.ClassUtils;

/**
 * What the Liquibase side of the starter needs in a native image: the session lock service that Liquibase
 * loads through {@code ServiceLoader}, with its no-argument constructor, and the application's changelog
 * parameters, which {@code SpringLiquibase} keeps in a field without a getter.
 */
class LiquibaseRuntimeHints implements RuntimeHintsRegistrar {

	private static final String SPRING_LIQUIBASE = "liquibase.integration.spring.SpringLiquibase";

	@Override
	public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
		if (!ClassUtils.isPresent(SPRING_LIQUIBASE, classLoader)) {
			return;
		}
		hints.resources().registerPattern("META-INF/services/liquibase.lockservice.LockService");
		hints.reflection()
			.registerType(TypeReference.of("dev.datamigrate.liquibase.SessionLockService"),
					MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS);
		hints.reflection()
			.registerType(TypeReference.of(SPRING_LIQUIBASE), (type) -> type.withField("parameters"));
	}

}
