package dev.datamigrate.benchmarks.jpa;

import java.util.List;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;

public interface NotifyLogEntryRepository extends JpaRepository<NotifyLogEntry, Long> {

	/** Keyset paging: the next entries without a purpose after an id. */
	List<NotifyLogEntry> findByPurposeIsNullAndIdGreaterThanOrderByIdAsc(long after, Limit limit);

}
