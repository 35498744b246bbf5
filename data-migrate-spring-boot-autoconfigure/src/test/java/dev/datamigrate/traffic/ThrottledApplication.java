package dev.datamigrate.traffic;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.datamigrate.Throttle;
import dev.datamigrate.fixtures.Items;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * A web application with the starter and Actuator, whose items backfill (version 1) a throttle of the
 * application's own holds back while {@link #HOLD} is set, as a feature flag that stops all backfills
 * would; {@link #BROKEN} makes a second throttle throw.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = { "org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration",
		"org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
		"org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
		"org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration" })
@Import(Items.class)
class ThrottledApplication {

	static final String REASON = "feature flag backfills.hold is on";

	static final AtomicBoolean HOLD = new AtomicBoolean();

	static final AtomicBoolean BROKEN = new AtomicBoolean();

	@Bean
	Throttle backfillsFlag() {
		return (context) -> HOLD.get() ? Throttle.Decision.backOff(Duration.ofMillis(200), REASON)
				: Throttle.Decision.proceed();
	}

	@Bean
	Throttle latencyGauge() {
		return new LatencyGauge();
	}

	/**
	 * A check whose source of figures is down while {@link #BROKEN} is set.
	 */
	static final class LatencyGauge implements Throttle {

		@Override
		public Decision check(Context context) {
			if (BROKEN.get()) {
				throw new IllegalStateException("latency gauge http.server.requests is not registered");
			}
			return Decision.proceed();
		}

	}

}
