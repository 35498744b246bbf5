package dev.datamigrate.consoletest;

import java.util.concurrent.atomic.AtomicBoolean;

import dev.datamigrate.DataMigration;
import dev.datamigrate.DataMigrationContext;
import dev.datamigrate.DataMigrationTask;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Two migrations after the sample's own that fail, with markup in their description and error, for
 * the console's tests: one until {@link #TOTALS_BROKEN} is cleared, the other always.
 */
@Configuration(proxyBeanMethods = false)
@Import({ BrokenMigrations.RecountTotals.class, BrokenMigrations.DropSessions.class })
class BrokenMigrations {

	static final String RECOUNT = "2026.03.20.1";

	static final String DROP = "2026.03.21.1";

	static final String RECOUNT_ERROR = "<script>document.title='pwned'</script><img src=x onerror=\"window.pwned=1\"> totals locked";

	static final AtomicBoolean TOTALS_BROKEN = new AtomicBoolean(true);

	@DataMigration(version = RECOUNT, description = "Recount <b>order</b> totals")
	static class RecountTotals implements DataMigrationTask {

		@Override
		public void migrate(DataMigrationContext context) {
			if (TOTALS_BROKEN.get()) {
				throw new IllegalStateException(RECOUNT_ERROR + "\nsecond line of the error\nthird line of the error");
			}
		}

	}

	@DataMigration(version = DROP, description = "Drop stale sessions")
	static class DropSessions implements DataMigrationTask {

		@Override
		public void migrate(DataMigrationContext context) {
			throw new IllegalStateException("the sessions table is gone");
		}

	}

}
