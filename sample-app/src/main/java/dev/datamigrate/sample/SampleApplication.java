package dev.datamigrate.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A service whose schema is managed by Liquibase and whose data changes are {@code @DataMigration}
 * beans, run once after Liquibase at startup.
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
