import { describe, expect, it } from "vitest";
import { loadConfig } from "../../compositor/config.ts";

describe("which Redis the server uses", () => {
  it("is one Redis with REDIS_URL, a cluster with REDIS_CLUSTER_NODES, none without either", () => {
    expect(loadConfig({ REDIS_URL: "redis://10.0.0.5:6380" }).redis).toEqual({ url: "redis://10.0.0.5:6380" });
    expect(loadConfig({ REDIS_CLUSTER_NODES: "10.0.0.1:7000, redis-2.internal:7001" }).redis).toEqual({
      clusterNodes: [
        { host: "10.0.0.1", port: 7000 },
        { host: "redis-2.internal", port: 7001 },
      ],
    });
    expect(loadConfig({}).redis).toBeUndefined();
  });

  it("refuses to start with both set, naming them", () => {
    expect(() => loadConfig({ REDIS_URL: "redis://10.0.0.5:6380", REDIS_CLUSTER_NODES: "10.0.0.1:7000" })).toThrow(
      /REDIS_URL and REDIS_CLUSTER_NODES are both set/,
    );
  });

  it("refuses a cluster node that is not host:port", () => {
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: "10.0.0.1:7000,10.0.0.2" })).toThrow(/REDIS_CLUSTER_NODES: "10.0.0.2" is not host:port/);
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: "10.0.0.1:70000" })).toThrow(/is not host:port/);
  });
});
