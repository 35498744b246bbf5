package dev.datamigrate.observation;

import dev.datamigrate.DataMigrations;
import dev.datamigrate.autoconfigure.DataMigrationsObservationAutoConfiguration;
import dev.datamigrate.fixtures.FailingMigrations;
import dev.datamigrate.testsupport.MigrationContexts;
import dev.datamigrate.testsupport.TestDatabase;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.micrometer.tracing.exporter.FinishedSpan;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each migration run is an observation {@code data.migration} with the key values {@code version} and
 * {@code outcome}: Micrometer's handlers make the timer and the long-task timer of it, tracing a span per
 * migration with its batches as events, and a convention bean renames or adds key values.
 */
class ObservationTests {

	private final TestDatabase database = TestDatabase.create(TestDatabase.Kind.H2);

	@AfterEach
	void mend() {
		FailingMigrations.BROKEN.set(true);
		this.database.close();
	}

	@Test
	void twoRunsAreTwoObservationsWithTheirKeyValues() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		runTwoMigrations(registry);
		TestObservationRegistryAssert.assertThat(registry)
			.hasNumberOfObservationsWithNameEqualTo("data.migration", 2)
			.hasAnObservation((observation) -> observation.hasLowCardinalityKeyValue("version", "1")
				.hasLowCardinalityKeyValue("outcome", "succeeded")
				.hasContextualNameEqualTo("data migration 1"))
			.hasAnObservation((observation) -> observation.hasLowCardinalityKeyValue("version", "2")
				.hasLowCardinalityKeyValue("outcome", "failed")
				.hasHighCardinalityKeyValue("description", "Move flags to the new store")
				.assertThatError()
				.hasMessageContaining("flag store unreachable"));
	}

	@Test
	void micrometersHandlersMakeTheTimerTheLongTaskTimerAndASpanPerMigration() {
		MeterRegistry meters = new SimpleMeterRegistry();
		SimpleTracer tracer = new SimpleTracer();
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig()
			.observationHandler(new DefaultMeterObservationHandler(meters))
			.observationHandler(new DefaultTracingObservationHandler(tracer));
		runTwoMigrations(registry);
		assertThat(meters.get("data.migration").tag("version", "1").tag("outcome", "succeeded").timer().count()).isOne();
		assertThat(meters.get("data.migration").tag("version", "2").tag("outcome", "failed").timer().getId().getTag("error"))
			.as("the failure's exception").isEqualTo("IOException");
		assertThat(meters.get("data.migration.active").tag("version", "1").longTaskTimer().activeTasks()).isZero();
		assertThat(tracer.getSpans()).extracting(FinishedSpan::getName)
			.containsExactly("data migration 1", "data migration 2");
		assertThat(tracer.getSpans()).extracting((span) -> span.getTags().get("version")).containsExactly("1", "2");
		assertThat(tracer.getSpans()).extracting(FinishedSpan::getError)
			.satisfiesExactly((error) -> assertThat(error).isNull(),
					(error) -> assertThat(error).hasMessageContaining("flag store unreachable"));
	}

	@Test
	void aConventionBeanAddsKeyValues() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		runner(registry).withBean(DataMigrationObservationConvention.class, TeamConvention::new).run((context) -> {
			context.getBean(DataMigrations.class).runPending();
			TestObservationRegistryAssert.assertThat(registry)
				.hasAnObservation((observation) -> observation.hasLowCardinalityKeyValue("team", "payments")
					.hasLowCardinalityKeyValue("version", "1"));
		});
	}

	private void runTwoMigrations(ObservationRegistry registry) {
		runner(registry).run((context) -> context.getBean(DataMigrations.class).runPending());
	}

	private ApplicationContextRunner runner(ObservationRegistry registry) {
		return MigrationContexts.jdbc(this.database)
			.withConfiguration(AutoConfigurations.of(DataMigrationsObservationAutoConfiguration.class))
			.withBean(ObservationRegistry.class, () -> registry)
			.withUserConfiguration(FailingMigrations.class)
			.withPropertyValues("data-migrate.on-startup=skip");
	}

	static class TeamConvention extends DefaultDataMigrationObservationConvention {

		@Override
		public KeyValues getLowCardinalityKeyValues(DataMigrationObservationContext context) {
			return super.getLowCardinalityKeyValues(context).and("team", "payments");
		}

	}

}
