package dev.datamigrate.sample;

import org.testcontainers.postgresql.PostgreSQLContainer;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;

/**
 * A PostgreSQL container whose connection details replace {@code spring.datasource.*}.
 */
@TestConfiguration(proxyBeanMethods = false)
class ContainersConfiguration {

	@Bean
	@ServiceConnection
	PostgreSQLContainer postgreSQLContainer() {
		return new PostgreSQLContainer("postgres:17");
	}

}
