/** Telnet command bytes (RFC 854). */
export const IAC = 255;
export const DONT = 254;
export const DO = 253;
export const WONT = 252;
export const WILL = 251;
export const SB = 250;
export const SE = 240;
/** Options the honeypot itself performs (RFC 857 ECHO, RFC 858 SUPPRESS-GO-AHEAD). */
export const OPT_ECHO = 1;
export const OPT_SGA = 3;

/** Result of feeding bytes to the negotiator. */
export interface IacResult {
  /** Application data with every Telnet command removed (`IAC IAC` becomes one 255 byte). */
  data: Buffer;
  /** Bytes to send back (refusals of options the honeypot does not do). */
  reply: Buffer;
}

/** Strips and answers Telnet option negotiation in a byte stream. */
export interface IacParser {
  feed(chunk: Buffer): IacResult;
}

/** What the server announces at connect: it echoes and suppresses go-ahead, as BusyBox telnetd does. */
export const SERVER_GREETING = Buffer.from([IAC, WILL, OPT_ECHO, IAC, WILL, OPT_SGA, IAC, DONT, 34 /* LINEMODE */]);

/**
 * Creates a negotiation parser. It answers each option request once (RFC 1143 loop avoidance):
 * `DO ECHO`/`DO SGA` are what we offered and need no answer, other `DO`s get `WONT`, every
 * `WILL` gets `DONT`. Subnegotiations are skipped, at most `maxSubnegotiation` bytes each.
 */
export function createIacParser(maxSubnegotiation = 512): IacParser {
  type State = 'data' | 'iac' | 'option' | 'sb' | 'sb-iac';
  let state: State = 'data';
  let command = 0;
  let sbLength = 0;
  const answered = new Set<number>();
  return {
    feed(chunk) {
      const data: number[] = [];
      const reply: number[] = [];
      for (const byte of chunk) {
        switch (state) {
          case 'data':
            if (byte === IAC) state = 'iac';
            else data.push(byte);
            break;
          case 'iac':
            if (byte === IAC) {
              data.push(IAC);
              state = 'data';
            } else if (byte === SB) {
              state = 'sb';
              sbLength = 0;
            } else if (byte >= WILL && byte <= DONT) {
              command = byte;
              state = 'option';
            } else {
              // NOP, GA, AYT, BRK and friends carry no data here.
              state = 'data';
            }
            break;
          case 'option': {
            const key = command * 256 + byte;
            if (!answered.has(key)) {
              answered.add(key);
              if (command === DO && byte !== OPT_ECHO && byte !== OPT_SGA) reply.push(IAC, WONT, byte);
              else if (command === WILL) reply.push(IAC, DONT, byte);
            }
            state = 'data';
            break;
          }
          case 'sb':
            sbLength += 1;
            if (byte === IAC) state = 'sb-iac';
            else if (sbLength > maxSubnegotiation) state = 'data';
            break;
          case 'sb-iac':
            state = byte === SE ? 'data' : 'sb';
            break;
        }
      }
      return { data: Buffer.from(data), reply: Buffer.from(reply) };
    },
  };
}
