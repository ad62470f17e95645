package dev.drover.template;

import dev.drover.error.Position;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Template rendering: what every task argument, when and loop goes through. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TemplateBench {
    private Templar templar;
    private Vars vars;
    private final Position where = new Position("bench.yml", 1, 1);

    @Setup
    public void setup() {
        templar = new Templar(Path.of("."));
        vars = Vars.of(Map.of(
                "inventory_hostname", "db0042",
                "pg_port", 5432,
                "pg_version", "16",
                "pg_settings", Map.of("max_connections", 200, "shared_buffers", "4GB", "work_mem", "64MB"),
                "replicas", List.of("db0043", "db0044", "db0045")));
    }

    /** A plain string: the fast path most task arguments take. */
    @Benchmark
    public Object plainString() {
        return templar.template("/var/lib/postgresql/data", vars, where);
    }

    /** One task argument with a variable and a filter. */
    @Benchmark
    public Object argument() {
        return templar.template("host={{ inventory_hostname }} port={{ pg_port | int + 1 }}", vars, where);
    }

    /** A when: guard. */
    @Benchmark
    public boolean condition() {
        return templar.condition("pg_version is version('15', '>=') and replicas | length > 2", vars, where);
    }

    /** A small configuration file: a loop over a dict with a conditional. */
    @Benchmark
    public String configFile() {
        return templar.renderText("""
                # {{ inventory_hostname }}
                port = {{ pg_port }}
                {% for k, v in pg_settings | dictsort %}
                {{ k }} = {{ v }}
                {% endfor %}
                {% if replicas %}primary_conninfo = 'host={{ replicas | first }}'{% endif %}
                """, vars, where, List.of());
    }
}
