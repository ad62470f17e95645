package dev.drover.exec;

import java.util.List;
import java.util.Map;

/**
 * What {@code drover recover} takes from a journaled run to run its recovery section: the aggregate, the markers
 * and the host variables set by register/set_fact (redacted values left out).
 *
 * @param runId the original run
 * @param errors its {@code update_errors.aggregate}
 * @param markers marker name to the hosts that passed it
 * @param hostVars per host, the variables to set again
 */
public record RecoverySeed(String runId, List<Map<String, Object>> errors, Map<String, List<String>> markers,
                           Map<String, Map<String, Object>> hostVars) {
    public RecoverySeed {
        errors = List.copyOf(errors);
        markers = Map.copyOf(markers);
        hostVars = Map.copyOf(hostVars);
    }
}
