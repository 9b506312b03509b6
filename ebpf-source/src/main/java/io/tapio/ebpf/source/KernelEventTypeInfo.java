package io.tapio.ebpf.source;

import io.tapio.ebpf.event.KernelEvent;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** The Flink type of {@link KernelEvent}, serialized by {@link KernelEventSerializer}. */
public final class KernelEventTypeInfo extends TypeInformation<KernelEvent> {
    public static final KernelEventTypeInfo INSTANCE = new KernelEventTypeInfo();

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<KernelEvent> getTypeClass() {
        return KernelEvent.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<KernelEvent> createSerializer(SerializerConfig config) {
        return KernelEventSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "KernelEvent";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KernelEventTypeInfo;
    }

    @Override
    public int hashCode() {
        return KernelEventTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof KernelEventTypeInfo;
    }
}
