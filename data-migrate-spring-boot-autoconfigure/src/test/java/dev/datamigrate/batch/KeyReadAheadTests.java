package dev.datamigrate.batch;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.datamigrate.fixtures.Items;
import dev.datamigrate.testsupport.Wrapping;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A walk reads the next batch's keys on a thread and pooled connection of its own while a batch runs,
 * unless {@code data-migrate.batch.read-ahead=false}, and a pool with no connection to spare does not
 * hold the walk up.
 */
class KeyReadAheadTests {

	private static final String READ_AHEAD_THREAD = "data-migrate-keys-items";

	/** The thread of each connection request, in order. */
	static final List<String> connectingThreads = new CopyOnWriteArrayList<>();

	@Test
	void keysOfEveryBatchButTheFirstAreReadAheadOnAConnectionOfTheirOwn() {
		// batches 2 and 3, and the empty read that ends the walk
		assertThat(readsAhead("data-migrate.batch.size=10")).isEqualTo(3);
	}

	@Test
	void noKeysAreReadAheadWhenSwitchedOff() {
		assertThat(readsAhead("data-migrate.batch.size=10", "data-migrate.batch.read-ahead=false")).isZero();
	}

	@Test
	void aPoolWithNoConnectionToSpareDoesNotHoldUpTheWalk() {
		// the lock, the migration's own transaction and the batch's transaction take all three; a read that
		// waited out the pool's timeout (30 s), or held the batch's next transaction up as long, would not
		// end in time. Whether the read gets a connection handed back by a committed batch or gives up is
		// up to the pool; either way every row changes once.
		assertTimeoutPreemptively(Duration.ofSeconds(20), () -> readsAhead("data-migrate.batch.size=10",
				"spring.datasource.hikari.maximum-pool-size=3", "spring.datasource.hikari.connection-timeout=30000"));
	}

	/**
	 * Backfill 30 items and check that each changed once and that the walk's thread is gone.
	 * @return how many connections the read-ahead thread asked for
	 */
	private static long readsAhead(String... properties) {
		connectingThreads.clear();
		Items.changeEachOnceOnPostgres(30, RecordingConnections.class, properties);
		assertThat(Thread.getAllStackTraces().keySet()).as("the walk's threads end with it")
			.noneMatch((thread) -> thread.getName().equals(READ_AHEAD_THREAD)
					|| thread.getName().equals("data-migrate-count-items"));
		return connectingThreads.stream().filter(READ_AHEAD_THREAD::equals).count();
	}

	@Configuration(proxyBeanMethods = false)
	@Import(Items.class)
	static class RecordingConnections {

		@Bean
		static BeanPostProcessor recordingDataSource() {
			return Wrapping.dataSources((dataSource) -> {
				connectingThreads.add(Thread.currentThread().getName());
				return dataSource.getConnection();
			});
		}

	}

}
