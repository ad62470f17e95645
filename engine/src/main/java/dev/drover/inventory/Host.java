package dev.drover.inventory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A host as the inventory files define it.
 *
 * @param name     the inventory name ({@code inventory_hostname})
 * @param vars     host variables written in the inventory file itself (not group_vars/host_vars files), in
 *                 the order they were set; includes {@code ansible_port} from {@code host:port} and
 *                 {@code inventory_file}/{@code inventory_dir} like Ansible
 * @param implicit true only for Ansible's implicit {@code localhost}: usable by name but never in {@code all}
 */
public record Host(String name, Map<String, Object> vars, boolean implicit) {
    public Host {
        vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
    }

    @Override
    public String toString() {
        return name;
    }
}
