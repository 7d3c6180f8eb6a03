package io.jtcp.observe;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void escapesWhatJsonRequires() {
        assertThat(Json.quote("plain")).isEqualTo("\"plain\"");
        assertThat(Json.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
        assertThat(Json.quote("\n\r\t\b\f")).isEqualTo("\"\\n\\r\\t\\b\\f\"");
        assertThat(Json.quote("\u0000\u001f\u007f")).isEqualTo("\"\\u0000\\u001f\\u007f\"");
        assertThat(Json.quote(null)).isEqualTo("null");
    }

    @Test
    void keepsPairedSurrogatesAndEscapesLoneOnes() {
        assertThat(Json.quote("\ud83d\ude00")).isEqualTo("\"\ud83d\ude00\"");
        assertThat(Json.quote("x\ud83dy")).isEqualTo("\"x\\ud83dy\"");
        assertThat(Json.quote("\ude00")).isEqualTo("\"\\ude00\"");
    }

    @Test
    void objectWriterPlacesCommas() {
        StringBuilder b = new StringBuilder();
        Json.Obj o = new Json.Obj(b).number("a", 1);
        o.object("b").bool("c", false).string("d", "e").end();
        o.string("f", null).end();
        assertThat(b).hasToString("{\"a\":1,\"b\":{\"c\":false,\"d\":\"e\"},\"f\":null}");
        MiniJson.parse(b.toString());
    }

    @Property
    void anyStringRoundTrips(@ForAll String s) {
        String json = Json.quote(s);
        assertThat(json.chars().noneMatch(c -> c < 0x20)).isTrue();
        assertThat(MiniJson.parse(json)).isEqualTo(s);
    }
}
