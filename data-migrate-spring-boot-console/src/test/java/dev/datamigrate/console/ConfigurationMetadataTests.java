package dev.datamigrate.console;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metadata an IDE reads to complete and explain the console's properties.
 */
class ConfigurationMetadataTests {

	@Test
	void bothPropertiesAreDescribedWithTheirDefaults() throws Exception {
		DocumentContext metadata;
		try (InputStream json = ConsoleProperties.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			metadata = JsonPath.parse(json);
		}
		List<Map<String, Object>> properties = metadata.read("$.properties[?(@.name =~ /data-migrate.console.*/)]");
		assertThat(properties).extracting((property) -> property.get("name"))
			.containsExactlyInAnyOrder("data-migrate.console.enabled", "data-migrate.console.path");
		assertThat(properties).allSatisfy((property) -> assertThat(property.get("description")).isNotNull());
		assertThat(properties).extracting((property) -> property.get("defaultValue"))
			.containsExactlyInAnyOrder(true, "/datamigrations");
	}

}
