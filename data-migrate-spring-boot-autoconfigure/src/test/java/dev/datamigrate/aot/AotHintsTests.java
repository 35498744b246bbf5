package dev.datamigrate.aot;

import dev.datamigrate.DataMigration;
import dev.datamigrate.DataMigrationContext;
import dev.datamigrate.DataMigrationTask;
import dev.datamigrate.liquibase.SessionLockService;
import liquibase.integration.spring.SpringLiquibase;
import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a native image needs of the starter: the migration beans' {@code @DataMigration}, the session
 * lock service that Liquibase loads through {@code ServiceLoader}, and the changelog parameters field.
 */
class AotHintsTests {

	@Test
	void migrationBeansKeepTheirAnnotation() {
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		beanFactory.registerBeanDefinition("backfill", new RootBeanDefinition(Backfill.class));
		BeanFactoryInitializationAotContribution contribution = new DataMigrationBeansAotProcessor()
			.processAheadOfTime(beanFactory);
		DefaultGenerationContext generation = new DefaultGenerationContext(
				new ClassNameGenerator(ClassName.get("com.example", "Application")), new InMemoryGeneratedFiles());
		contribution.applyTo(generation, null);
		RuntimeHints hints = generation.getRuntimeHints();
		assertThat(RuntimeHintsPredicates.reflection().onType(Backfill.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(DataMigration.class)).accepts(hints);
	}

	@Test
	void anApplicationWithoutMigrationsNeedsNothing() {
		assertThat(new DataMigrationBeansAotProcessor().processAheadOfTime(new DefaultListableBeanFactory())).isNull();
	}

	@Test
	void theLiquibaseSideIsReachable() {
		RuntimeHints hints = new RuntimeHints();
		new LiquibaseRuntimeHints().registerHints(hints, getClass().getClassLoader());
		assertThat(RuntimeHintsPredicates.resource().forResource("META-INF/services/liquibase.lockservice.LockService"))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(SessionLockService.class)
			.withMemberCategory(MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onFieldAccess(SpringLiquibase.class, "parameters")).accepts(hints);
	}

	@DataMigration(version = "1")
	static class Backfill implements DataMigrationTask {

		@Override
		public void migrate(DataMigrationContext context) {
		}

	}

}
