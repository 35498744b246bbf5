package dev.datamigrate.liquibase;

import org.springframework.util.StringUtils;

/**
 * Liquibase label expressions that split a changelog into the startup update and the post-deploy
 * update, each combined with the label filter the application already has.
 */
final class PostDeployLabel {

	private final String label;

	private final String applicationFilter;

	PostDeployLabel(String label, String applicationFilter) {
		this.label = label;
		this.applicationFilter = applicationFilter;
	}

	String startupFilter() {
		return combine("!" + this.label);
	}

	String postDeployFilter() {
		return combine(this.label);
	}

	/**
	 * The application's own filter, selecting startup and post-deploy changesets alike.
	 */
	String applicationFilter() {
		return this.applicationFilter;
	}

	private String combine(String expression) {
		return StringUtils.hasText(this.applicationFilter) ? "(" + this.applicationFilter + ") and " + expression
				: expression;
	}

}
