package dev.datamigrate.autoconfigure;

/**
 * Configuration of the deploy report of {@code on-startup=plan}, under {@code data-migrate.plan}.
 */
public class PlanProperties {

	/**
	 * How the report is written to standard output.
	 */
	private Format format = Format.TEXT;

	public Format getFormat() {
		return this.format;
	}

	public void setFormat(Format format) {
		this.format = format;
	}

	/**
	 * How the deploy report is written.
	 */
	public enum Format {

		/** Lines for people. */
		TEXT,

		/** One JSON document, for pipelines. */
		JSON

	}

}
