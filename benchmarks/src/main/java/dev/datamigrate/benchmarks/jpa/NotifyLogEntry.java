package dev.datamigrate.benchmarks.jpa;

import java.time.LocalDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "notify_log_entries")
public class NotifyLogEntry {

	@Id
	private Long id;

	private String message;

	private String purpose;

	@Column(name = "created_at")
	private LocalDateTime createdAt;

	protected NotifyLogEntry() {
	}

	public Long getId() {
		return this.id;
	}

	public String getPurpose() {
		return this.purpose;
	}

	public void setPurpose(String purpose) {
		this.purpose = purpose;
	}

}
