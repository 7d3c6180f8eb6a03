package io.jtcp.net;

import io.jtcp.api.HostContext;
import io.jtcp.api.StackLoop;
import java.net.DatagramSocket;
import java.net.SocketException;

/**
 * A {@link java.net.DatagramSocket} on a jtcp host: send, receive with SO_TIMEOUT, connect,
 * peek, the standard options; a connected socket's port unreachable comes back as
 * {@link java.net.PortUnreachableException}, as the JDK's does. Unbound when made: bind it,
 * or the first send binds it to an ephemeral port.
 */
public class JtcpDatagramSocket extends DatagramSocket {
    /** An unbound socket on the calling thread's host ({@link HostContext#current()}). */
    public JtcpDatagramSocket() throws SocketException {
        this(null);
    }

    /** An unbound socket on {@code host} (null: the calling thread's). */
    public JtcpDatagramSocket(StackLoop host) throws SocketException {
        super(new JtcpDatagramSocketImpl(host));
    }
}
