package dev.datamigrate.flyway;

import org.flywaydb.core.Flyway;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer;

/**
 * Keeps Flyway from migrating in {@code on-startup=plan}, whatever migration strategy the application has,
 * while its {@code Flyway} stays there to say what is pending.
 */
public class PlanOnlyFlyway implements BeanPostProcessor, BeanFactoryAware {

	private BeanFactory beanFactory;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		if (bean instanceof FlywayMigrationInitializer) {
			return new FlywayMigrationInitializer(this.beanFactory.getBean(Flyway.class), (flyway) -> {
			});
		}
		return bean;
	}

}
