package dev.datamigrate.autoconfigure;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata an IDE reads to complete and explain the properties.
 */
class ConfigurationMetadataTests {

	@Test
	void everyPropertyIsDescribedAndOnStartupValuesAreHinted() throws Exception {
		DocumentContext metadata;
		try (InputStream json = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			metadata = JsonPath.parse(json);
		}
		List<Map<String, Object>> properties = metadata.read("$.properties[?(@.name =~ /data-migrate.*/)]");
		assertThat(properties).extracting((property) -> property.get("name"))
			.contains("data-migrate.enabled", "data-migrate.on-startup", "data-migrate.table-name",
					"data-migrate.lock.wait-timeout", "data-migrate.retry-failed", "data-migrate.baseline-version",
					"data-migrate.batch.size", "data-migrate.batch.pause", "data-migrate.liquibase.post-deploy-label");
		assertThat(properties).allSatisfy((property) -> assertThat(property.get("description")).isNotNull());
		assertThat(metadata.<List<String>>read("$.properties[?(@.name == 'data-migrate.table-name')].defaultValue"))
			.containsExactly("data_migrations");
		assertThat(metadata.<List<String>>read("$.hints[?(@.name == 'data-migrate.on-startup')].values[*].value"))
			.containsExactly("run", "background", "skip", "run-and-exit", "plan");
	}

}
