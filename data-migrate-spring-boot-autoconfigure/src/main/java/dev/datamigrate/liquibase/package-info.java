/**
 * Liquibase integration: post-deploy changesets, the session lock and the finish gate precondition.
 */
@NullMarked
package dev.datamigrate.liquibase;

import org.jspecify.annotations.NullMarked;
