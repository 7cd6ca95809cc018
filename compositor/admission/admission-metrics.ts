/** The admission control's state in /metrics: its limit, what is in flight and queued, what was shed and why. */
import { Counter, Gauge, type Registry } from "prom-client";
import { SHED_REASONS, WORK_CLASSES, type Admission } from "./admission.ts";

export function registerAdmissionMetrics(admission: Admission, registry: Registry): void {
  new Gauge({
    name: "tessera_admission_limit",
    help: "Compositions that may run at once (the adaptive concurrency limit)",
    registers: [registry],
    collect() {
      this.set(admission.state().limit);
    },
  });
  new Gauge({
    name: "tessera_admission_in_flight",
    help: "Requests holding an admission slot (work running in this process, not waiting on the DDS), by class",
    labelNames: ["class"],
    registers: [registry],
    collect() {
      const { inFlight } = admission.state();
      for (const workClass of WORK_CLASSES) this.set({ class: workClass }, inFlight[workClass]);
    },
  });
  new Gauge({
    name: "tessera_admission_waiting",
    help: "Admitted pages waiting on the DDS, their slots free for other requests meanwhile",
    registers: [registry],
    collect() {
      this.set(admission.state().waiting);
    },
  });
  new Gauge({
    name: "tessera_admission_queued",
    help: "Page requests waiting for an admission slot",
    registers: [registry],
    collect() {
      this.set(admission.state().queued);
    },
  });
  new Gauge({
    name: "tessera_admission_event_loop_delay_seconds",
    help: "Event-loop delay (99th percentile) the limit last adapted to",
    registers: [registry],
    collect() {
      this.set(admission.state().loopDelayMs / 1000);
    },
  });
  new Counter({
    name: "tessera_admission_shed_total",
    help: "Requests refused with 503 overloaded, by class and reason",
    labelNames: ["class", "reason"],
    registers: [registry],
    collect() {
      const { shed } = admission.state();
      this.reset();
      for (const workClass of WORK_CLASSES)
        for (const reason of SHED_REASONS) this.inc({ class: workClass, reason }, shed[workClass][reason]);
    },
  });
}
