// shared/ compiles without DOM or Node types, yet runs where the WHATWG URL global exists (Node and
// every browser). Declare only the part shared/ uses, so nothing else from either side leaks in.
declare class URL {
  constructor(input: string, base?: string);
  readonly protocol: string;
  readonly hostname: string;
  readonly host: string;
  readonly port: string;
  readonly pathname: string;
  readonly username: string;
  readonly password: string;
  readonly href: string;
}
