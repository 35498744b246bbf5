package dev.datamigrate.runner;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.datamigrate.DataMigrationFailedEvent;
import dev.datamigrate.DataMigrationFinishedEvent;
import dev.datamigrate.DataMigrationStartedEvent;
import dev.datamigrate.DataMigrations;
import dev.datamigrate.fixtures.FailingMigrations;
import dev.datamigrate.testsupport.MigrationContexts;
import dev.datamigrate.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An {@code @EventListener} of a few lines hears a migration start, finish and fail, with the figures
 * a release channel or an incident bot would post.
 */
class ApplicationEventsTests {

	@AfterEach
	void mend() {
		FailingMigrations.BROKEN.set(true);
	}

	@Test
	void aListenerHearsStartedFinishedAndFailed() {
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.H2)) {
			MigrationContexts.jdbc(database)
				.withUserConfiguration(FailingMigrations.class, Announcements.class)
				.withPropertyValues("data-migrate.on-startup=skip")
				.run((context) -> {
					context.getBean(DataMigrations.class).runPending();
					List<Object> heard = context.getBean(Announcements.class).heard;
					assertThat(heard).hasSize(4);
					assertThat(heard.get(0)).isEqualTo(new DataMigrationStartedEvent("1", "Before"));
					assertThat(heard.get(1)).isInstanceOfSatisfying(DataMigrationFinishedEvent.class, (finished) -> {
						assertThat(finished.version()).isEqualTo("1");
						assertThat(finished.duration()).isPositive();
					});
					assertThat(heard.get(2))
						.isEqualTo(new DataMigrationStartedEvent("2", "Move flags to the new store"));
					assertThat(heard.get(3)).isInstanceOfSatisfying(DataMigrationFailedEvent.class, (failed) -> {
						assertThat(failed.version()).isEqualTo("2");
						assertThat(failed.description()).isEqualTo("Move flags to the new store");
						assertThat(failed.error()).startsWith("java.io.IOException: flag store unreachable")
							.doesNotContain("\tat ");
					});
				});
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Announcements {

		final List<Object> heard = new CopyOnWriteArrayList<>();

		@EventListener
		void started(DataMigrationStartedEvent event) {
			this.heard.add(event);
		}

		@EventListener
		void finished(DataMigrationFinishedEvent event) {
			this.heard.add(event);
		}

		@EventListener
		void failed(DataMigrationFailedEvent event) {
			this.heard.add(event);
		}

	}

}
