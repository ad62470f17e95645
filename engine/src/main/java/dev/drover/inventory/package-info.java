/**
 * Ansible-compatible inventories.
 *
 * <p>Load with {@link dev.drover.inventory.InventoryLoader#load}, select hosts with
 * {@link dev.drover.inventory.Inventory#select} and {@link dev.drover.inventory.Inventory#limit}, get a host's
 * inventory variables as precedence layers with {@link dev.drover.inventory.Inventory#variableLayers}, and the
 * {@code groups}/{@code group_names} magic variables with {@link dev.drover.inventory.Inventory#groupsMap} and
 * {@link dev.drover.inventory.Inventory#groupNames}. Behaviour follows ansible-core 2.14, checked by differential
 * tests that run ansible-inventory and ansible-core's InventoryManager on the same files.
 */
package dev.drover.inventory;
