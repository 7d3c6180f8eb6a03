package io.jtcp.observe;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** An SVG parsed as XML (no network, no DTDs), with the lookups the ladder tests need. */
public final class SvgDoc {
    public final Document doc;

    private SvgDoc(Document doc) {
        this.doc = doc;
    }

    public static SvgDoc parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return new SvgDoc(f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8))));
    }

    /** Elements whose class attribute holds every one of {@code classes}. */
    public List<Element> withClass(String... classes) {
        List<Element> found = new ArrayList<>();
        NodeList all = doc.getElementsByTagNameNS("*", "*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            List<String> have = Arrays.asList(e.getAttribute("class").split("\\s+"));
            if (have.containsAll(List.of(classes))) found.add(e);
        }
        return found;
    }

    /** The text of each {@code <text>} inside elements of class {@code cls}, halo copies included. */
    public List<String> texts(String cls) {
        List<String> out = new ArrayList<>();
        for (Element g : withClass(cls)) {
            NodeList ts = g.getElementsByTagNameNS("*", "text");
            for (int i = 0; i < ts.getLength(); i++) out.add(ts.item(i).getTextContent());
        }
        return out;
    }

    public double height() {
        return Double.parseDouble(doc.getDocumentElement().getAttribute("height"));
    }
}
