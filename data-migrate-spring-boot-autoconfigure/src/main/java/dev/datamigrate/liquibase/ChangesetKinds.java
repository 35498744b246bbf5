package dev.datamigrate.liquibase;

import java.util.List;
import java.util.Objects;

import liquibase.changelog.ChangeSet;
import liquibase.precondition.CustomPreconditionWrapper;
import liquibase.precondition.Precondition;
import liquibase.precondition.PreconditionLogic;
import liquibase.precondition.core.PreconditionContainer;
import liquibase.precondition.core.PreconditionContainer.FailOption;
import org.jspecify.annotations.Nullable;

/**
 * What the starter reads from a changeset: whether it is post-deploy, which data migration its finish
 * gate waits for, and whether an update leaves it unrun by design.
 */
final class ChangesetKinds {

	private ChangesetKinds() {
	}

	static boolean hasLabel(ChangeSet changeSet, String label) {
		return changeSet.getLabels() != null
				&& changeSet.getLabels().getLabels().stream().anyMatch((each) -> each.equalsIgnoreCase(label));
	}

	/**
	 * Whether an update may leave the changeset unrun, so that it never stops being pending: one that
	 * runs always, or whose preconditions let the update go on without it.
	 */
	static boolean staysPending(ChangeSet changeSet) {
		PreconditionContainer preconditions = changeSet.getPreconditions();
		return changeSet.isAlwaysRun() || (preconditions != null && preconditions.getOnFail() == FailOption.CONTINUE);
	}

	/**
	 * The version of the data migration that the changeset's finish gate waits for, or {@code null}.
	 */
	static @Nullable String waitsFor(ChangeSet changeSet) {
		return gates(changeSet.getPreconditions()).stream().findFirst().orElse(null);
	}

	private static List<String> gates(Precondition precondition) {
		if (precondition instanceof CustomPreconditionWrapper custom
				&& DataMigrationFinished.class.getName().equals(custom.getClassName())) {
			return List.of(Objects.requireNonNullElse(custom.getParamValue("version"), "?"));
		}
		if (precondition instanceof PreconditionLogic logic) {
			return logic.getNestedPreconditions().stream().flatMap((nested) -> gates(nested).stream()).toList();
		}
		return List.of();
	}

}
