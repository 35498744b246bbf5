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
	 * @param beans the application's throttle beans, in order, named by their bean names
	 * @param builtIns the database's checks, as configured
	 * @param interval the shortest time between two rounds of checks of a walk
	 */
	public Throttles(List<ThrottleCheck> beans, List<ThrottleCheck> builtIns, Duration interval) {
		this.beans = List.copyOf(beans);
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
		for (int i = 0; i < walkOwn.size(); i++) {
			checks.add(new ThrottleCheck("the walk's own throttle " + (i + 1), walkOwn.get(i)));
		}
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
