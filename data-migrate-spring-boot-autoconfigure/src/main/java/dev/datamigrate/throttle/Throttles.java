package dev.datamigrate.throttle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.datamigrate.Throttle;

/**
 * Every throttle of the application: its {@link Throttle} beans and the database's built-in checks.
 */
public final class Throttles {

	/** None at all, checked every second. */
	public static final Throttles NONE = new Throttles(List.of(), List.of(), Duration.ofSeconds(1));

	private final List<ThrottleCheck> beans;

	private final List<ThrottleCheck> builtIns;

	private final Duration interval;

	/**
	 * Gather the throttles.
	 * @param beans the application's throttle beans, in order
	 * @param builtIns the database's checks, as configured
	 * @param interval the shortest time between two rounds of checks of a walk
	 */
	public Throttles(List<Throttle> beans, List<ThrottleCheck> builtIns, Duration interval) {
		this.beans = beans.stream().map(ThrottleCheck::of).toList();
		this.builtIns = List.copyOf(builtIns);
		this.interval = interval;
	}

	/**
	 * The checks of one walk: its own, the beans, then the built-ins unless the walk turned them off.
	 * @param builtIns whether the walk runs the built-in checks
	 * @param walkOwn the walk's own throttles
	 * @return the checks in the order they are asked
	 */
	public List<ThrottleCheck> forWalk(boolean builtIns, List<Throttle> walkOwn) {
		List<ThrottleCheck> checks = new ArrayList<>();
		walkOwn.forEach((throttle) -> checks.add(ThrottleCheck.of(throttle)));
		checks.addAll(this.beans);
		if (builtIns) {
			checks.addAll(this.builtIns);
		}
		return checks;
	}

	/**
	 * The shortest time between two rounds of checks of a walk.
	 * @return the interval
	 */
	public Duration interval() {
		return this.interval;
	}

}
