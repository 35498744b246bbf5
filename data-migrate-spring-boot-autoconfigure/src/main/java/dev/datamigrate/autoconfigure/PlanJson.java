package dev.datamigrate.autoconfigure;

import dev.datamigrate.runner.DeployPlan;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.ClassUtils;

/**
 * The deploy report as one JSON document, for pipelines; written with Jackson's defaults rather than
 * the application's mapper, so that the application's customizations do not change its shape.
 */
final class PlanJson {

	private static final String MAPPER = "tools.jackson.databind.json.JsonMapper";

	private PlanJson() {
	}

	static boolean isAvailable() {
		return ClassUtils.isPresent(MAPPER, PlanJson.class.getClassLoader());
	}

	static String write(DeployPlan plan) {
		return JsonMapper.builder().build().writeValueAsString(plan);
	}

}
