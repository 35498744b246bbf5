package dev.datamigrate.sample;

import org.springframework.boot.SpringApplication;

/**
 * Runs the sample against PostgreSQL in a Testcontainers container, for developers with Docker: run
 * this class from the IDE, or {@code ./mvnw -pl sample-app -am spring-boot:test-run}.
 */
public class TestSampleApplication {

	public static void main(String[] args) {
		SpringApplication.from(SampleApplication::main).with(ContainersConfiguration.class).run(args);
	}

}
