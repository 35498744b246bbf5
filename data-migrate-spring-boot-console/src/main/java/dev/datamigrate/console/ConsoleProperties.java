package dev.datamigrate.console;

import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the operations console, prefix {@code data-migrate.console}.
 */
@ConfigurationProperties("data-migrate.console")
public class ConsoleProperties {

	private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+");

	/**
	 * Whether to serve the operations page.
	 */
	private boolean enabled = true;

	/**
	 * Path of the operations page, under the servlet context path.
	 */
	private String path = "/datamigrations";

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getPath() {
		return this.path;
	}

	public void setPath(String path) {
		if (path == null || !PATH.matcher(path).matches()) {
			throw new IllegalArgumentException("data-migrate.console.path must be a path such as /datamigrations or "
					+ "/ops/migrations: segments of letters, digits, '.', '_', '~' or '-' after a '/', no '/' at the end");
		}
		this.path = path;
	}

}
