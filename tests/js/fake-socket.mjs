// Stands in for the vendored Socket.IO client when tests/js/connection.test.mjs runs the
// browser's connection (static/js/realtime.js) under Node: the test delivers what a server
// would send and answers what the connection asks for.
export const sockets = [];

class FakeSocket {
  constructor(options) {
    this.options = options;
    this.handlers = {};
    this.connected = true;
    this.active = true;
    this.asked = []; // requests with an ack: {event, payload, answer(ack)}
    this.io = { on() {} };
  }

  on(event, handler) {
    (this.handlers[event] ||= []).push(handler);
    return this;
  }

  /** What the server would send: `deliver("change", {...})`. */
  deliver(event, data) {
    for (const handler of this.handlers[event] || []) handler(data);
  }

  timeout() {
    return { emit: (event, payload, callback) => this.asked.push({ event, payload, answer: (ack) => callback(null, ack) }) };
  }

  connect() { this.connected = true; }

  disconnect() { this.connected = false; }
}

export function io(options) {
  const socket = new FakeSocket(options);
  sockets.push(socket);
  return socket;
}
