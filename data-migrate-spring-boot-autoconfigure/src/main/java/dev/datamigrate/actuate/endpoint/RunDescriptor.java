package dev.datamigrate.actuate.endpoint;

import java.util.List;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

/**
 * The answer to a request to run pending migrations: whether a run started, with which migrations, or
 * why not.
 *
 * @param started whether a run started
 * @param pending versions the run takes up, in order
 * @param reason why no run started, if none did
 */
public record RunDescriptor(boolean started, List<String> pending, String reason) implements OperationResponseBody {

}
