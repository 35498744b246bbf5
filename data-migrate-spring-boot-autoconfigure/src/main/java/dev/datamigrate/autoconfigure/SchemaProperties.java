package dev.datamigrate.autoconfigure;

import java.time.Duration;

/**
 * Configuration of how runs wait for the schema tool, under {@code data-migrate.schema}.
 */
public class SchemaProperties {

	/**
	 * Longest a run waits for the schema tool to have nothing pending but post-deploy changes (an
	 * asynchronous Liquibase, a schema applied by another process) before it gives up without running.
	 */
	private Duration waitTimeout = Duration.ofMinutes(10);

	public Duration getWaitTimeout() {
		return this.waitTimeout;
	}

	public void setWaitTimeout(Duration waitTimeout) {
		this.waitTimeout = waitTimeout;
	}

}
