package dev.runnerdesk.provider.local;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Classic BPF with labels; jump offsets are computed at the end and must fit the 8-bit jt/jf fields. */
final class BpfAssembler {
    static final int MAX_INSTRUCTIONS = 4096;

    /** The classic BPF opcodes used. */
    static final int LD_W_ABS = 0x20;
    static final int ALU_AND_K = 0x54;
    static final int JMP_JEQ_K = 0x15;
    static final int JMP_JGE_K = 0x35;
    static final int JMP_JSET_K = 0x45;
    static final int RET_K = 0x06;

    final class Label {
        int position = -1;
    }

    private record Insn(int code, Label jt, Label jf, int k) {
    }

    private final List<Insn> code = new ArrayList<>();

    Label label() {
        return new Label();
    }

    void bind(Label label) {
        if (label.position >= 0) {
            throw new IllegalStateException("label bound twice");
        }
        label.position = code.size();
    }

    void load(int offset) {
        code.add(new Insn(LD_W_ABS, null, null, offset));
    }

    void and(int k) {
        code.add(new Insn(ALU_AND_K, null, null, k));
    }

    /** A null target is the next instruction. */
    void jeq(int k, Label jt, Label jf) {
        code.add(new Insn(JMP_JEQ_K, jt, jf, k));
    }

    void jge(int k, Label jt, Label jf) {
        code.add(new Insn(JMP_JGE_K, jt, jf, k));
    }

    void jset(int k, Label jt, Label jf) {
        code.add(new Insn(JMP_JSET_K, jt, jf, k));
    }

    void ret(int k) {
        code.add(new Insn(RET_K, null, null, k));
    }

    byte[] assemble() {
        if (code.size() > MAX_INSTRUCTIONS) {
            throw new IllegalStateException("seccomp program too long: " + code.size() + " instructions");
        }
        ByteBuffer out = ByteBuffer.allocate(code.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < code.size(); i++) {
            Insn insn = code.get(i);
            out.putShort((short) insn.code());
            out.put((byte) offset(i, insn.jt()));
            out.put((byte) offset(i, insn.jf()));
            out.putInt(insn.k());
        }
        return out.array();
    }

    private int offset(int from, Label to) {
        if (to == null) {
            return 0;
        }
        if (to.position < 0) {
            throw new IllegalStateException("unbound label at instruction " + from);
        }
        int offset = to.position - (from + 1);
        if (offset < 0 || offset > 255) {
            throw new IllegalStateException("jump from " + from + " to " + to.position + " does not fit in 8 bits");
        }
        return offset;
    }
}
