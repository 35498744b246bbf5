package dev.datamigrate.throttle;

import dev.datamigrate.Throttle;

/**
 * A throttle with the name its warnings give it.
 *
 * @param name what operators read, such as {@code PostgreSQL replication lag}
 * @param throttle the check
 */
public record ThrottleCheck(String name, Throttle throttle) {

}
