internal import CURing
import Glibc

/// The cores this process may run on, for sizing the worker pool.
package enum CPUAffinity {
    /// The number of cores in this process's CPU affinity (`taskset`, container cpusets), else every
    /// online core.
    package static var availableCores: Int {
        let allowed = Int(rw_cores_in_affinity())
        return allowed > 0 ? allowed : max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}
