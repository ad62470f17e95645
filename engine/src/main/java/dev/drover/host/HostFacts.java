package dev.drover.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Gathers Ansible-shaped facts with one POSIX shell script (one round trip) and turns its output into the
 * {@code setup} module's keys without the {@code ansible_} prefix. Public so the agent side can reuse
 * {@link #parse} or {@link #osFamily} and both modes report the same values.
 */
public final class HostFacts {
    private HostFacts() {}

    /** Sections start with "@@name"; each command's failure is tolerated so one missing tool costs one fact. */
    public static final String SCRIPT = String.join("\n",
            "echo @@hostname; hostname 2>/dev/null || uname -n",
            "echo @@fqdn; hostname -f 2>/dev/null || hostname 2>/dev/null || uname -n",
            "echo @@uname; uname -s; uname -r; uname -v; uname -m",
            "echo @@osrelease; cat /etc/os-release 2>/dev/null",
            "echo @@debianversion; head -n 1 /etc/debian_version 2>/dev/null",
            "echo @@nproc; nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null",
            "echo @@meminfo; grep -E '^(MemTotal|MemFree|SwapTotal|SwapFree):' /proc/meminfo 2>/dev/null",
            "echo @@route; ip -4 route show default 2>/dev/null | head -n 1",
            "echo @@addr; ip -4 -o addr show 2>/dev/null",
            "echo @@df; df -P -k -T 2>/dev/null",
            "echo @@mounts; cat /proc/mounts 2>/dev/null",
            "echo @@date; date '+%Y %m %d %H %M %S %s %Z %z %A %B %j %u %W %a %b'; date -u '+%Y-%m-%dT%H:%M:%SZ'",
            "echo @@id; id -u; id -un; id -g",
            "echo @@systemd; [ -d /run/systemd/system ] && echo systemd || ps -p 1 -o comm= 2>/dev/null",
            "echo @@pkg; for m in apt-get dnf yum zypper apk pacman; do command -v $m >/dev/null 2>&1 && { echo $m; break; }; done",
            "echo @@env; env",
            "exit 0");

    public static Map<String, Object> parse(String out) {
        Map<String, List<String>> sec = new LinkedHashMap<>();
        List<String> cur = null;
        for (String line : out.split("\n", -1)) {
            if (line.startsWith("@@")) {
                cur = new ArrayList<>();
                sec.put(line.substring(2).strip(), cur);
            } else if (cur != null) {
                cur.add(line);
            }
        }
        Map<String, Object> f = new LinkedHashMap<>();
        String hostname = first(sec, "hostname");
        String fqdn = first(sec, "fqdn");
        f.put("hostname", hostname.contains(".") ? hostname.substring(0, hostname.indexOf('.')) : hostname);
        f.put("nodename", hostname);
        f.put("fqdn", fqdn);
        f.put("domain", fqdn.contains(".") ? fqdn.substring(fqdn.indexOf('.') + 1) : "");

        List<String> un = sec.getOrDefault("uname", List.of());
        f.put("system", get(un, 0));
        f.put("kernel", get(un, 1));
        f.put("kernel_version", get(un, 2));
        f.put("architecture", get(un, 3));
        f.put("machine", get(un, 3));

        Map<String, String> os = new LinkedHashMap<>();
        for (String l : sec.getOrDefault("osrelease", List.of())) {
            int eq = l.indexOf('=');
            if (eq > 0) os.put(l.substring(0, eq), unquote(l.substring(eq + 1)));
        }
        String id = os.getOrDefault("ID", "").toLowerCase(Locale.ROOT);
        String version = os.getOrDefault("VERSION_ID", "");
        // as the agent does and Ansible does: Debian's point release (12.7) from /etc/debian_version, not "12"
        String debianVersion = first(sec, "debianversion");
        if ("debian".equals(id) && debianVersion.matches("\\d+(\\.\\d+)*")) version = debianVersion;
        f.put("distribution", distribution(id, os.getOrDefault("NAME", "")));
        f.put("distribution_version", version);
        f.put("distribution_major_version", version.contains(".") ? version.substring(0, version.indexOf('.')) : version);
        f.put("distribution_release", os.getOrDefault("VERSION_CODENAME", ""));
        f.put("os_family", osFamily(id, os.getOrDefault("ID_LIKE", "")));

        int vcpus = parseInt(first(sec, "nproc"), 1);
        f.put("processor_vcpus", vcpus);
        f.put("processor_nproc", vcpus);

        Map<String, Long> mem = new LinkedHashMap<>();
        for (String l : sec.getOrDefault("meminfo", List.of())) {
            String[] p = l.split("[:\\s]+");
            if (p.length >= 2) mem.put(p[0], Long.parseLong(p[1]));
        }
        f.put("memtotal_mb", mem.getOrDefault("MemTotal", 0L) / 1024);
        f.put("memfree_mb", mem.getOrDefault("MemFree", 0L) / 1024);
        f.put("swaptotal_mb", mem.getOrDefault("SwapTotal", 0L) / 1024);
        f.put("swapfree_mb", mem.getOrDefault("SwapFree", 0L) / 1024);

        Map<String, String> ifaceAddr = new LinkedHashMap<>();
        Map<String, String> ifaceMask = new LinkedHashMap<>();
        List<String> all = new ArrayList<>();
        for (String l : sec.getOrDefault("addr", List.of())) {
            // "2: eth0    inet 10.0.0.5/24 brd 10.0.0.255 scope global eth0"
            String[] p = l.trim().split("\\s+");
            for (int i = 0; i + 1 < p.length; i++) {
                if (p[i].equals("inet")) {
                    String[] cidr = p[i + 1].split("/");
                    String ifc = p[1].replaceAll(":$", "");
                    ifaceAddr.putIfAbsent(ifc, cidr[0]);
                    ifaceMask.putIfAbsent(ifc, cidr.length > 1 ? cidr[1] : "32");
                    if (!cidr[0].startsWith("127.")) all.add(cidr[0]);
                }
            }
        }
        f.put("all_ipv4_addresses", all);
        Map<String, Object> def = new LinkedHashMap<>();
        String route = first(sec, "route");
        if (!route.isEmpty()) {
            String[] p = route.trim().split("\\s+");
            for (int i = 0; i + 1 < p.length; i++) {
                if (p[i].equals("via")) def.put("gateway", p[i + 1]);
                if (p[i].equals("dev")) def.put("interface", p[i + 1]);
            }
            Object ifc = def.get("interface");
            if (ifc != null && ifaceAddr.containsKey(ifc)) {
                int bits = parseInt(ifaceMask.get(ifc), 32);
                def.put("address", ifaceAddr.get(ifc));
                def.put("prefix", String.valueOf(bits));
                def.put("netmask", netmask(bits));
                def.put("alias", ifc);
            }
        }
        f.put("default_ipv4", def);

        Map<String, String> opts = new LinkedHashMap<>();
        for (String l : sec.getOrDefault("mounts", List.of())) {
            String[] p = l.split(" ");
            if (p.length >= 4) opts.put(unescapeMount(p[1]), p[3]);
        }
        List<Map<String, Object>> mounts = new ArrayList<>();
        List<String> df = sec.getOrDefault("df", List.of());
        for (int i = 1; i < df.size(); i++) {
            // Filesystem Type 1024-blocks Used Available Capacity Mounted-on (mount point may hold spaces)
            String[] p = df.get(i).trim().split("\\s+", 7);
            if (p.length < 7) continue;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mount", p[6]);
            m.put("device", p[0]);
            m.put("fstype", p[1]);
            m.put("options", opts.getOrDefault(p[6], ""));
            m.put("size_total", Long.parseLong(p[2]) * 1024);
            m.put("size_available", Long.parseLong(p[4]) * 1024);
            m.put("block_size", 1024);
            mounts.add(m);
        }
        f.put("mounts", mounts);

        List<String> d = sec.getOrDefault("date", List.of());
        Map<String, Object> dt = new LinkedHashMap<>();
        String[] p = get(d, 0).split(" ");
        if (p.length >= 15) {
            dt.put("year", p[0]);
            dt.put("month", p[1]);
            dt.put("day", p[2]);
            dt.put("hour", p[3]);
            dt.put("minute", p[4]);
            dt.put("second", p[5]);
            dt.put("epoch", p[6]);
            dt.put("tz", p[7]);
            dt.put("tz_offset", p[8]);
            dt.put("weekday", p[9]);
            dt.put("month_name", p[10]);
            dt.put("weekday_number", p[12].equals("7") ? "0" : p[12]);
            dt.put("weeknumber", p[13]);
            dt.put("date", p[0] + "-" + p[1] + "-" + p[2]);
            dt.put("time", p[3] + ":" + p[4] + ":" + p[5]);
            dt.put("iso8601", get(d, 1));
            dt.put("iso8601_basic_short", p[0] + p[1] + p[2] + "T" + p[3] + p[4] + p[5]);
        }
        f.put("date_time", dt);

        List<String> ids = sec.getOrDefault("id", List.of());
        f.put("user_uid", parseInt(get(ids, 0), -1));
        f.put("user_id", get(ids, 1));
        f.put("user_gid", parseInt(get(ids, 2), -1));
        String init = first(sec, "systemd");
        f.put("service_mgr", init.equals("systemd") ? "systemd" : init.isEmpty() ? "service" : init);
        String pkg = first(sec, "pkg");
        f.put("pkg_mgr", pkg.equals("apt-get") ? "apt" : pkg.isEmpty() ? "unknown" : pkg);

        Map<String, String> env = new LinkedHashMap<>();
        for (String l : sec.getOrDefault("env", List.of())) {
            int eq = l.indexOf('=');
            if (eq > 0 && l.substring(0, eq).matches("[A-Za-z_][A-Za-z0-9_]*")) env.put(l.substring(0, eq), l.substring(eq + 1));
        }
        f.put("env", env);
        return f;
    }

    /** Ansible's distribution names for the common os-release IDs. */
    static String distribution(String id, String name) {
        return switch (id) {
            case "debian" -> "Debian";
            case "ubuntu" -> "Ubuntu";
            case "rhel" -> "RedHat";
            case "centos" -> "CentOS";
            case "rocky" -> "Rocky";
            case "almalinux" -> "AlmaLinux";
            case "fedora" -> "Fedora";
            case "ol" -> "OracleLinux";
            case "amzn" -> "Amazon";
            case "sles", "sled" -> "SLES";
            case "opensuse-leap", "opensuse-tumbleweed", "opensuse" -> "openSUSE Leap";
            case "alpine" -> "Alpine";
            case "arch" -> "Archlinux";
            default -> name.isEmpty() ? "NA" : name.split(" ")[0];
        };
    }

    public static String osFamily(String id, String idLike) {
        String all = (id + " " + idLike).toLowerCase(Locale.ROOT);
        if (id.equals("debian") || id.equals("ubuntu") || all.contains("debian")) return "Debian";
        if (all.matches(".*\\b(rhel|fedora|centos|rocky|almalinux|ol|amzn)\\b.*")) return "RedHat";
        if (all.contains("suse")) return "Suse";
        if (id.equals("alpine")) return "Alpine";
        if (id.equals("arch") || all.contains("arch")) return "Archlinux";
        return id.isEmpty() ? "NA" : id;
    }

    private static String netmask(int bits) {
        long m = bits == 0 ? 0 : (0xffffffffL << (32 - bits)) & 0xffffffffL;
        return ((m >> 24) & 255) + "." + ((m >> 16) & 255) + "." + ((m >> 8) & 255) + "." + (m & 255);
    }

    private static String unescapeMount(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    private static String unquote(String s) {
        s = s.strip();
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    private static String first(Map<String, List<String>> sec, String name) {
        for (String l : sec.getOrDefault(name, List.of())) if (!l.isBlank()) return l.strip();
        return "";
    }

    private static String get(List<String> l, int i) {
        return i < l.size() ? l.get(i).strip() : "";
    }

    private static int parseInt(String s, int def) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException | NullPointerException e) {
            return def;
        }
    }
}
