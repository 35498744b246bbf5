package dev.datamigrate.aot;

import java.util.ArrayList;
import java.util.List;

import dev.datamigrate.DataMigration;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.ReflectionHints;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Keeps the {@code @DataMigration} annotation of the application's migration beans readable in a native
 * image, where the registry finds the migrations by it.
 */
class DataMigrationBeansAotProcessor implements BeanFactoryInitializationAotProcessor {

	@Override
	public @Nullable BeanFactoryInitializationAotContribution processAheadOfTime(ConfigurableListableBeanFactory beanFactory) {
		List<Class<?>> migrations = new ArrayList<>();
		for (String name : beanFactory.getBeanNamesForAnnotation(DataMigration.class)) {
			Class<?> type = beanFactory.getType(name);
			if (type != null) {
				migrations.add(ClassUtils.getUserClass(type));
			}
		}
		if (migrations.isEmpty()) {
			return null;
		}
		return (generationContext, code) -> {
			ReflectionHints reflection = generationContext.getRuntimeHints().reflection();
			reflection.registerType(DataMigration.class);
			migrations.forEach(reflection::registerType);
		};
	}

}
