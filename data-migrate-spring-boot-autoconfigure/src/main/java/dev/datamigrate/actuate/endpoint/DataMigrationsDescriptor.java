package dev.datamigrate.actuate.endpoint;

import java.util.List;

import dev.datamigrate.DataMigrations.DataMigrationsStatus;
import dev.datamigrate.DataMigrations.PostDeployChange;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

/**
 * Every migration in version order, with counts by state.
 */
public final class DataMigrationsDescriptor implements OperationResponseBody {

	private final DataMigrationsStatus status;

	private final List<PostDeployChange> postDeploy;

	DataMigrationsDescriptor(DataMigrationsStatus status, List<PostDeployChange> postDeploy) {
		this.status = status;
		this.postDeploy = postDeploy;
	}

	public long getPending() {
		return this.status.pending();
	}

	public long getRunning() {
		return this.status.running();
	}

	public long getInterrupted() {
		return this.status.interrupted();
	}

	public long getFailed() {
		return this.status.failed();
	}

	public List<MigrationDescriptor> getMigrations() {
		return this.status.migrations().stream().map(MigrationDescriptor::new).toList();
	}

	public List<PostDeployChange> getPostDeploy() {
		return this.postDeploy;
	}

}
