package io.tapio.enrich;

import io.tapio.model.EnrichedEvent;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** The Flink type of {@link EnrichedEvent}, serialized by {@link EnrichedEventSerializer}: no Kryo. */
public final class EnrichedEventTypeInfo extends TypeInformation<EnrichedEvent> {
    public static final EnrichedEventTypeInfo INSTANCE = new EnrichedEventTypeInfo();

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
    public Class<EnrichedEvent> getTypeClass() {
        return EnrichedEvent.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<EnrichedEvent> createSerializer(SerializerConfig config) {
        return EnrichedEventSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "EnrichedEvent";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnrichedEventTypeInfo;
    }

    @Override
    public int hashCode() {
        return EnrichedEventTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof EnrichedEventTypeInfo;
    }
}
