/// Every file of a workload, decided up front from the size and seed: pods with their rollouts,
/// restarts and time windows, the kubelet file layout, and each file's byte budget.
struct WorkloadPlan: Sendable {
    /// The workload ends at 2026-11-22T00:00:00Z and spans the 7 days before.
    static let end: Int64 = 1_795_305_600 * 1_000_000_000
    static let span: Int64 = 7 * 86_400 * 1_000_000_000
    static let start: Int64 = end - span
    /// Share of the volume that is CI pipeline logs.
    static let pipelineShare = 0.02

    struct Symlink: Sendable {
        var path: String
        var target: String
    }

    private(set) var containerLogs: [ContainerLogPlan] = []
    private(set) var symlinks: [Symlink] = []
    private(set) var pipelineLogs: [PipelineLogPlan] = []
    private(set) var directories: Set<String> = []

    private struct Pod {
        var name: String
        var uid: String
        var ip: String
        var node: String
        var version: String
        var replicaSet: String
        var start: Int64
        var end: Int64
        var startedInWindow: Bool
        var stopped: Bool
        /// When the container is OOM-killed and restarted, if it is.
        var crashAt: Int64?
    }

    init(rawDirectory raw: String, totalBytes: Int, seed: UInt64) {
        var rng = SplitMix64(seed: seed, label: 1)
        let containerBytes = Double(totalBytes) * (1 - Self.pipelineShare)
        let totalShare = WorkloadSpec.cluster.flatMap(\.containers).map(\.share).reduce(0, +)
        for workload in WorkloadSpec.cluster {
            let pods = Self.pods(of: workload, &rng)
            for container in workload.containers {
                let budget = containerBytes * container.share / totalShare
                var files: [(pod: Pod, restart: Int, start: Int64, end: Int64, fresh: Bool, crashed: Bool, stopped: Bool)] = []
                for pod in pods {
                    if let crash = pod.crashAt {
                        files.append((pod, 0, pod.start, crash, pod.startedInWindow, true, false))
                        files.append((pod, 1, crash + 45_000_000_000, pod.end, true, false, pod.stopped))
                    } else {
                        files.append((pod, 0, pod.start, pod.end, pod.startedInWindow, false, pod.stopped))
                    }
                }
                let totalDuration = Double(files.map { $0.end - $0.start }.reduce(0, +))
                for file in files {
                    let podDirectory = "\(raw)/var/log/pods/\(workload.namespace)_\(file.pod.name)_\(file.pod.uid)"
                    let directory = "\(podDirectory)/\(container.name)"
                    directories.insert(directory)
                    let path = "\(directory)/\(file.restart).log"
                    let link = "\(raw)/var/log/containers/\(file.pod.name)_\(workload.namespace)_\(container.name)-\(KubernetesName.containerID(&rng)).log"
                    let target = "../pods/\(workload.namespace)_\(file.pod.name)_\(file.pod.uid)/\(container.name)/\(file.restart).log"
                    symlinks.append(Symlink(path: link, target: target))
                    let identity = PodIdentity(
                        namespace: workload.namespace, pod: file.pod.name, app: workload.name, container: container.name,
                        version: file.pod.version, replicaSet: file.pod.replicaSet, podIP: file.pod.ip, node: file.pod.node)
                    containerLogs.append(ContainerLogPlan(
                        path: path, format: workload.format, dialect: container.dialect, identity: identity,
                        start: file.start, end: file.end,
                        budget: Int(budget * Double(file.end - file.start) / totalDuration),
                        seed: rng.next(), startedInWindow: file.fresh, stopped: file.stopped, crashed: file.crashed))
                }
            }
        }
        directories.insert("\(raw)/var/log/containers")
        pipelineLogs = PipelineLogPlan.plans(rawDirectory: raw, totalBytes: Int(Double(totalBytes) * Self.pipelineShare), &rng)
        for plan in pipelineLogs {
            directories.insert(String(plan.path[..<plan.path.lastIndex(of: "/")!]))
        }
    }

    /// The pods of a workload over the window: two ReplicaSets around a rollout for a Deployment,
    /// ordinals for a StatefulSet (the last one OOM-killed once), one pod for a DaemonSet.
    private static func pods(of workload: WorkloadSpec, _ rng: inout SplitMix64) -> [Pod] {
        var pods: [Pod] = []
        func pod(_ name: String, version: String, replicaSet: String, start: Int64, end: Int64, stopped: Bool) -> Pod {
            let node = rng.below(Vocabulary.nodes.count)
            return Pod(name: name, uid: KubernetesName.uuid(&rng), ip: "10.244.\(node).\(rng.int(2...254))",
                       node: String(decoding: Vocabulary.nodes[node], as: UTF8.self), version: version,
                       replicaSet: replicaSet, start: max(Self.start, start), end: end, startedInWindow: start > Self.start,
                       stopped: stopped, crashAt: nil)
        }
        switch workload.kind {
        case .deployment:
            let rollout = start + Int64(rng.int(2 * 86_400...5 * 86_400)) * 1_000_000_000
            for (index, version) in workload.versions.prefix(2).enumerated() {
                let hash = KubernetesName.random(rng.int(8...10), needsDigit: true, &rng)
                let replicas = workload.replicas + (rng.oneIn(3) ? 1 : 0) - (workload.replicas > 2 && rng.oneIn(3) ? 1 : 0)
                for _ in 0..<max(2, min(3, replicas)) {
                    let name = "\(workload.name)-\(hash)-\(KubernetesName.random(5, needsDigit: false, &rng))"
                    let begin = index == 0 ? start - Int64(rng.int(3600...86_400)) * 1_000_000_000 : rollout + Int64(rng.int(5...90)) * 1_000_000_000
                    let finish = index == 0 ? rollout + Int64(rng.int(60...240)) * 1_000_000_000 : end
                    pods.append(pod(name, version: version, replicaSet: hash, start: begin, end: finish, stopped: index == 0))
                }
            }
        case .statefulSet:
            for ordinal in 0..<workload.replicas {
                var member = pod("\(workload.name)-\(ordinal)", version: workload.versions[0], replicaSet: "",
                                 start: start - 86_400_000_000_000, end: end, stopped: false)
                if ordinal == workload.replicas - 1 {
                    member.crashAt = start + Int64(rng.int(3 * 86_400...4 * 86_400)) * 1_000_000_000
                }
                pods.append(member)
            }
        case .daemonSet:
            pods.append(pod("\(workload.name)-\(KubernetesName.random(5, needsDigit: false, &rng))",
                            version: workload.versions[0], replicaSet: "", start: start - 86_400_000_000_000, end: end, stopped: false))
        }
        return pods
    }
}
