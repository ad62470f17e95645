package dev.drover.template.internal;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Python operators on template values. */
final class Ops {
    private Ops() {}

    static Object unary(String op, Object v) {
        if (!Py.isNumber(v)) throw new EvalException("bad operand type for unary " + op + ": '" + Py.typeName(v) + "'");
        if (op.equals("+")) return v instanceof Boolean ? Py.toLong(v) : Py.normInt(v);
        if (Py.isFloat(v)) return -Py.toDouble(v);
        return intResult(Py.toBig(v).negate());
    }

    static boolean compare(String op, Object l, Object r) {
        return switch (op) {
            case "==" -> Py.eq(l, r);
            case "!=" -> !Py.eq(l, r);
            case "in" -> Py.contains(r, l);
            case "not in" -> !Py.contains(r, l);
            case "<" -> Py.compare(l, r, op) < 0;
            case ">" -> Py.compare(l, r, op) > 0;
            case "<=" -> Py.compare(l, r, op) <= 0;
            case ">=" -> Py.compare(l, r, op) >= 0;
            default -> throw new IllegalStateException(op);
        };
    }

    static Object intResult(BigInteger b) {
        return b.bitLength() < 64 ? (Object) b.longValue() : b;
    }

    static Object binary(String op, Object l, Object r) {
        if (op.equals("~")) return Py.str(l) + Py.str(r);
        Object dates = PyTime.binary(op, l, r);
        if (dates != null) return dates;
        boolean nums = Py.isNumber(l) && Py.isNumber(r);
        boolean floats = nums && (Py.isFloat(l) || Py.isFloat(r));
        switch (op) {
            case "+":
                if (nums) return floats ? (Object) (Py.toDouble(l) + Py.toDouble(r)) : intResult(Py.toBig(l).add(Py.toBig(r)));
                if (l instanceof String a && r instanceof String b) return a + b;
                if (l instanceof List<?> a && r instanceof List<?> b && (a instanceof Py.Tuple) == (b instanceof Py.Tuple)) {
                    List<Object> out = new ArrayList<>(a);
                    out.addAll(b);
                    return a instanceof Py.Tuple ? new Py.Tuple(out) : out;
                }
                break;
            case "-":
                if (nums) return floats ? (Object) (Py.toDouble(l) - Py.toDouble(r)) : intResult(Py.toBig(l).subtract(Py.toBig(r)));
                break;
            case "*":
                if (nums) return floats ? (Object) (Py.toDouble(l) * Py.toDouble(r)) : intResult(Py.toBig(l).multiply(Py.toBig(r)));
                if (l instanceof String s && Py.isInt(r)) return s.repeat((int) Math.max(0, Py.toLong(r)));
                if (l instanceof Collection<?> c && Py.isInt(r)) {
                    List<Object> out = new ArrayList<>();
                    for (long i = 0; i < Py.toLong(r); i++) out.addAll(c);
                    return out;
                }
                break;
            case "/":
                if (nums) {
                    if (Py.toDouble(r) == 0) throw new EvalException("division by zero");
                    return Py.toDouble(l) / Py.toDouble(r);
                }
                break;
            case "//":
                if (nums) {
                    if (Py.toDouble(r) == 0) throw new EvalException("integer division or modulo by zero");
                    if (floats) return Math.floor(Py.toDouble(l) / Py.toDouble(r));
                    BigInteger[] qr = Py.toBig(l).divideAndRemainder(Py.toBig(r));
                    BigInteger q = qr[0];
                    if (qr[1].signum() != 0 && (qr[1].signum() != Py.toBig(r).signum())) q = q.subtract(BigInteger.ONE);
                    return intResult(q);
                }
                break;
            case "%":
                if (l instanceof String fmt) return Format.percent(fmt, r);
                if (nums) {
                    if (Py.toDouble(r) == 0) throw new EvalException("integer division or modulo by zero");
                    if (floats) {
                        double a = Py.toDouble(l), b = Py.toDouble(r);
                        double m = a % b;
                        if (m != 0 && (m < 0) != (b < 0)) m += b;
                        return m;
                    }
                    BigInteger m = Py.toBig(l).mod(Py.toBig(r).abs());
                    if (Py.toBig(r).signum() < 0 && m.signum() != 0) m = m.add(Py.toBig(r));
                    return intResult(m);
                }
                break;
            case "**":
                if (nums) {
                    if (!floats && Py.toBig(r).signum() >= 0) return intResult(power(Py.toBig(l), Py.toBig(r)));
                    return Math.pow(Py.toDouble(l), Py.toDouble(r));
                }
                break;
            default:
        }
        throw new EvalException("unsupported operand type(s) for " + op + ": '" + Py.typeName(l) + "' and '" + Py.typeName(r) + "'");
    }
    /** Integer results of {@code **} above this many bits are refused (about 300,000 decimal digits). */
    static final long MAX_POWER_BITS = 1_000_000;

    /**
     * {@code base ** exp} for integers. Python computes any size; here a typo such as {@code 2 ** 10 ** 20} would
     * hang or exhaust memory (and an exponent past 2^31 used to wrap into an ArithmeticException), so results
     * beyond {@link #MAX_POWER_BITS} are an error.
     */
    static BigInteger power(BigInteger base, BigInteger exp) {
        if (base.abs().compareTo(BigInteger.ONE) <= 0) { // 0, 1 and -1 stay small for any exponent
            if (base.signum() == 0) return exp.signum() == 0 ? BigInteger.ONE : BigInteger.ZERO;
            return base.signum() > 0 || !exp.testBit(0) ? BigInteger.ONE : BigInteger.ONE.negate();
        }
        if (exp.bitLength() > 31 || (long) base.bitLength() * exp.intValue() > MAX_POWER_BITS) {
            throw new EvalException("the result of " + base + " ** " + exp + " is too large (more than "
                    + MAX_POWER_BITS + " bits)");
        }
        return base.pow(exp.intValue());
    }
}
