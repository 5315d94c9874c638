import { EngineError, EngineRequestError, EngineUnavailableError } from './errors';
import { networkBody, networkMismatches, type NetworkKeys } from './network';
import type { NodeSet } from './node-set';

export interface NetworkSetupOutcome {
  configured: string[];
  verified: string[];
  unverified: string[];
  unreachable: string[];
}

const denied = (e: unknown) => e instanceof EngineRequestError && ['invalid_api_key', 'missing_authorization_header'].includes(e.code ?? '');

/**
 * Makes every node part of this network: a node already configured as expected (its `self`, the same remotes and
 * urls, sharding on) is left as it is, so keys someone else chose for it (compose's `meili-network` gives remotes each
 * node's own default keys) are kept; otherwise the `network` feature is turned on and the network written, the same on
 * every node but for `self`. A node whose key may not write the network must already match (verified); one whose key
 * may not even read it is reported as unverified. A node that does not answer is reported, not fatal; one that hangs
 * is found by a short probe rather than a whole timeout per call.
 */
export async function configureNetwork(nodes: NodeSet, keys: NetworkKeys): Promise<NetworkSetupOutcome> {
  const result: NetworkSetupOutcome = { configured: [], verified: [], unverified: [], unreachable: [] };
  for (const node of nodes.nodes) {
    if ((await node.engine.probe(nodes.health.timings.probeTimeoutMs)) !== 'answers') {
      result.unreachable.push(node.name);
      continue;
    }
    let problems: string[] | null = null;
    try {
      problems = networkMismatches(await node.engine.network(), nodes.nodes, node.name);
    } catch (err) {
      if (err instanceof EngineUnavailableError) {
        result.unreachable.push(node.name);
        continue;
      }
      if (denied(err)) {
        result.unverified.push(node.name);
        continue;
      }
      // Otherwise the feature is off (or the answer unexpected): write the network below.
    }
    if (problems !== null && problems.length === 0) {
      result.verified.push(node.name);
      continue;
    }
    try {
      await node.engine.configureNetwork(networkBody(nodes.nodes, node.name, keys));
      result.configured.push(node.name);
    } catch (err) {
      if (err instanceof EngineUnavailableError) result.unreachable.push(node.name);
      else if (denied(err) && problems !== null) {
        throw new EngineError(`node ${node.name} (${node.url}) is not configured for this network: ${problems.join('; ')}`);
      } else throw err;
    }
  }
  return result;
}
