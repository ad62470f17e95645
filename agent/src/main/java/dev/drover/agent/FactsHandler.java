package dev.drover.agent;

import java.io.File;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Facts read straight from /proc, /etc and the JDK: no Python, no subprocesses. Keys follow Ansible's
 * setup module without the {@code ansible_} prefix, so playbooks keep working.
 */
final class FactsHandler {
    /** A hung NFS mount must not hang fact gathering; its sizes are left out instead. */
    private static final long MOUNT_STAT_TIMEOUT_MS = 2000;

    private final ExecutorService pool;

    FactsHandler(ExecutorService pool) {
        this.pool = pool;
    }

    Map<String, Object> facts() throws InterruptedException {
        Map<String, Object> f = new LinkedHashMap<>();
        String nodename = firstLine("/proc/sys/kernel/hostname");
        if (nodename == null) nodename = localHostName();
        f.put("nodename", nodename);
        f.put("hostname", nodename.split("\\.", 2)[0]);
        f.put("fqdn", fqdn(nodename));
        f.put("domain", f.get("fqdn").toString().contains(".") ? f.get("fqdn").toString().split("\\.", 2)[1] : "");
        f.put("system", System.getProperty("os.name"));
        f.put("kernel", System.getProperty("os.version"));
        String kv = firstLine("/proc/sys/kernel/version");
        if (kv != null) f.put("kernel_version", kv);
        f.put("architecture", architecture());
        f.put("machine", architecture());
        f.put("machine_id", firstLine("/etc/machine-id"));
        distribution(f);
        cpuAndMemory(f);
        network(f);
        f.put("mounts", mounts());
        f.put("date_time", dateTime(ZonedDateTime.now()));
        f.put("env", new TreeMap<String, Object>(System.getenv()));
        user(f);
        f.put("service_mgr", Files.isDirectory(Paths.get("/run/systemd/system")) ? "systemd" : "service");
        f.put("pkg_mgr", pkgMgr());
        String up = firstLine("/proc/uptime");
        if (up != null) f.put("uptime_seconds", (long) Double.parseDouble(up.split(" ")[0]));
        f.put("java_version", System.getProperty("java.version"));
        return f;
    }

    private static void distribution(Map<String, Object> f) {
        Map<String, String> os = new LinkedHashMap<>();
        for (String line : lines("/etc/os-release")) {
            int eq = line.indexOf('=');
            if (eq <= 0 || line.startsWith("#")) continue;
            String v = line.substring(eq + 1).trim();
            if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
                v = v.substring(1, v.length() - 1);
            }
            os.put(line.substring(0, eq).trim(), v);
        }
        String id = os.getOrDefault("ID", "").toLowerCase(Locale.ROOT);
        String name = distributionName(id, os.getOrDefault("NAME", System.getProperty("os.name")));
        String version = os.getOrDefault("VERSION_ID", "");
        if ("debian".equals(id)) {
            // Ansible reports Debian's point release (12.7) from /etc/debian_version, not os-release's "12".
            String dv = firstLine("/etc/debian_version");
            if (dv != null && dv.matches("\\d+(\\.\\d+)*")) version = dv;
        }
        f.put("distribution", name);
        f.put("distribution_version", version);
        f.put("distribution_major_version", version.split("\\.", 2)[0]);
        f.put("distribution_release", os.getOrDefault("VERSION_CODENAME", ""));
        f.put("os_family", osFamily(id, os.getOrDefault("ID_LIKE", "")));
    }

    private static String distributionName(String id, String fallback) {
        switch (id) {
            case "debian": return "Debian";
            case "ubuntu": return "Ubuntu";
            case "rhel": return "RedHat";
            case "centos": return "CentOS";
            case "rocky": return "Rocky";
            case "almalinux": return "AlmaLinux";
            case "ol": return "OracleLinux";
            case "fedora": return "Fedora";
            case "amzn": return "Amazon";
            case "sles": return "SLES";
            case "opensuse-leap": return "openSUSE Leap";
            case "alpine": return "Alpine";
            case "arch": return "Archlinux";
            default: return fallback;
        }
    }

    private static String osFamily(String id, String idLike) {
        String all = " " + id + " " + idLike.toLowerCase(Locale.ROOT) + " ";
        if (all.contains(" debian ") || all.contains(" ubuntu ")) return "Debian";
        if (all.contains(" rhel ") || all.contains(" fedora ") || all.contains(" centos ") || all.contains(" amzn ")) return "RedHat";
        if (all.contains(" suse ") || all.contains(" sles ") || all.contains("opensuse")) return "Suse";
        if (all.contains(" alpine ")) return "Alpine";
        if (all.contains(" arch ")) return "Archlinux";
        return System.getProperty("os.name");
    }

    private static String architecture() {
        String a = System.getProperty("os.arch");
        if ("amd64".equals(a)) return "x86_64";
        if ("x86".equals(a) || "i386".equals(a)) return "i386";
        return a;
    }

    private static void cpuAndMemory(Map<String, Object> f) {
        long vcpus = 0;
        java.util.Set<String> sockets = new java.util.HashSet<>();
        long coresPerSocket = 0;
        for (String line : lines("/proc/cpuinfo")) {
            if (line.startsWith("processor")) vcpus++;
            else if (line.startsWith("physical id")) sockets.add(line.substring(line.indexOf(':') + 1).trim());
            else if (line.startsWith("cpu cores")) coresPerSocket = parseLongOr(line.substring(line.indexOf(':') + 1).trim(), 0);
        }
        if (vcpus == 0) vcpus = Runtime.getRuntime().availableProcessors();
        f.put("processor_vcpus", vcpus);
        f.put("processor_count", (long) Math.max(1, sockets.size()));
        f.put("processor_cores", coresPerSocket > 0 ? coresPerSocket : vcpus);
        // nproc's count: the CPUs this process may use (affinity, cgroup quota), not all the machine has.
        f.put("processor_nproc", (long) Runtime.getRuntime().availableProcessors());
        for (String line : lines("/proc/meminfo")) {
            String[] parts = line.split("\\s+");
            if (parts.length < 2) continue;
            long mb = parseLongOr(parts[1], 0) / 1024;
            if (line.startsWith("MemTotal:")) f.put("memtotal_mb", mb);
            else if (line.startsWith("MemFree:")) f.put("memfree_mb", mb);
            else if (line.startsWith("SwapTotal:")) f.put("swaptotal_mb", mb);
            else if (line.startsWith("SwapFree:")) f.put("swapfree_mb", mb);
        }
    }

    /** The default route from /proc/net/route gives the interface; the JDK gives its address. */
    private static void network(Map<String, Object> f) {
        String iface = null;
        String gateway = null;
        for (String line : lines("/proc/net/route")) {
            String[] c = line.trim().split("\\s+");
            if (c.length > 2 && "00000000".equals(c[1]) && !"Iface".equals(c[0])) {
                iface = c[0];
                gateway = hexToIPv4(c[2]);
                break;
            }
        }
        List<Object> all = new ArrayList<>();
        Map<String, Object> dflt = new LinkedHashMap<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InterfaceAddress ia : ni.getInterfaceAddresses()) {
                    if (!(ia.getAddress() instanceof Inet4Address)) continue;
                    String addr = ia.getAddress().getHostAddress();
                    if (!ia.getAddress().isLoopbackAddress()) all.add(addr);
                    if (ni.getName().equals(iface) && dflt.isEmpty()) {
                        dflt.put("address", addr);
                        dflt.put("interface", iface);
                        dflt.put("alias", iface);
                        dflt.put("gateway", gateway);
                        dflt.put("prefix", String.valueOf(ia.getNetworkPrefixLength()));
                        dflt.put("netmask", prefixToNetmask(ia.getNetworkPrefixLength()));
                    }
                }
            }
        } catch (IOException e) {
            // no interface information; the keys stay empty
        }
        f.put("default_ipv4", dflt);
        f.put("all_ipv4_addresses", all);
    }

    private List<Object> mounts() throws InterruptedException {
        List<Object> out = new ArrayList<>();
        for (String line : lines("/proc/mounts")) {
            String[] c = line.split(" ");
            if (c.length < 4) continue;
            String device = unescape(c[0]);
            // Ansible's rule: only block devices and network filesystems, not proc/sysfs/cgroup/tmpfs.
            if (!device.startsWith("/") && !device.contains(":/")) continue;
            String mount = unescape(c[1]);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mount", mount);
            m.put("device", device);
            m.put("fstype", c[2]);
            m.put("options", c[3]);
            Future<long[]> sizes = pool.submit(() -> {
                File file = new File(mount);
                return new long[] {file.getTotalSpace(), file.getUsableSpace()};
            });
            try {
                long[] s = sizes.get(MOUNT_STAT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                m.put("size_total", s[0]);
                m.put("size_available", s[1]);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                sizes.cancel(true);
            }
            out.add(m);
        }
        return out;
    }

    static Map<String, Object> dateTime(ZonedDateTime now) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("year", String.format("%04d", now.getYear()));
        d.put("month", String.format("%02d", now.getMonthValue()));
        d.put("weekday", now.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
        d.put("weekday_number", String.valueOf(now.getDayOfWeek().getValue() % 7));
        d.put("weeknumber", String.format("%02d", now.get(ChronoField.ALIGNED_WEEK_OF_YEAR) - 1));
        d.put("day", String.format("%02d", now.getDayOfMonth()));
        d.put("hour", String.format("%02d", now.getHour()));
        d.put("minute", String.format("%02d", now.getMinute()));
        d.put("second", String.format("%02d", now.getSecond()));
        d.put("epoch", String.valueOf(now.toEpochSecond()));
        d.put("epoch_int", String.valueOf(now.toEpochSecond()));
        d.put("date", now.format(DateTimeFormatter.ISO_LOCAL_DATE));
        d.put("time", now.format(DateTimeFormatter.ofPattern("HH:mm:ss")));
        ZonedDateTime utc = now.withZoneSameInstant(java.time.ZoneOffset.UTC);
        d.put("iso8601", utc.format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")));
        d.put("iso8601_micro", utc.format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")));
        d.put("iso8601_basic", now.format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSSSSS")));
        d.put("iso8601_basic_short", now.format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")));
        d.put("tz", now.getZone().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
        d.put("tz_offset", now.format(DateTimeFormatter.ofPattern("xx")));
        d.put("tz_dst", now.getZone().getRules().isDaylightSavings(now.toInstant()) ? "1" : "0");
        return d;
    }

    private static void user(Map<String, Object> f) {
        f.put("user_id", System.getProperty("user.name"));
        f.put("user_dir", System.getProperty("user.home"));
        for (String line : lines("/proc/self/status")) {
            String[] c = line.split("\\s+");
            if (line.startsWith("Uid:") && c.length > 1) f.put("user_uid", parseLongOr(c[1], -1));
            if (line.startsWith("Gid:") && c.length > 1) f.put("user_gid", parseLongOr(c[1], -1));
        }
    }

    private static String pkgMgr() {
        String[][] known = {{"/usr/bin/apt-get", "apt"}, {"/usr/bin/dnf", "dnf"}, {"/usr/bin/yum", "yum"},
            {"/usr/bin/zypper", "zypper"}, {"/sbin/apk", "apk"}, {"/usr/bin/pacman", "pacman"}};
        for (String[] k : known) if (Files.isExecutable(Paths.get(k[0]))) return k[1];
        return "unknown";
    }

    private static String fqdn(String nodename) {
        try {
            String c = InetAddress.getLocalHost().getCanonicalHostName();
            return c == null || c.isEmpty() ? nodename : c;
        } catch (IOException e) {
            return nodename;
        }
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static String hexToIPv4(String hex) {
        long v = Long.parseLong(hex, 16);
        return (v & 0xFF) + "." + ((v >> 8) & 0xFF) + "." + ((v >> 16) & 0xFF) + "." + ((v >> 24) & 0xFF);
    }

    private static String prefixToNetmask(int prefix) {
        long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        return ((mask >> 24) & 0xFF) + "." + ((mask >> 16) & 0xFF) + "." + ((mask >> 8) & 0xFF) + "." + (mask & 0xFF);
    }

    /** /proc/mounts writes spaces and tabs in paths as octal escapes. */
    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    private static long parseLongOr(String s, long dflt) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private static String firstLine(String file) {
        List<String> l = lines(file);
        return l.isEmpty() ? null : l.get(0).trim();
    }

    private static List<String> lines(String file) {
        Path p = Paths.get(file);
        try {
            return Files.readAllLines(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Collections.emptyList();
        }
    }
}
