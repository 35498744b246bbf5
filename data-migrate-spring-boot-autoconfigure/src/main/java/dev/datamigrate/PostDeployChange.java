package dev.datamigrate;

/**
 * A schema change held back from the startup update and applied after the pending data migrations
 * succeed, such as a Liquibase changeset labelled {@code post-deploy}.
 *
 * @param id its identifier, such as {@code changelog-path::id::author}
 * @param description what it does
 * @param applied whether it has been applied
 */
public record PostDeployChange(String id, String description, boolean applied) {

}
