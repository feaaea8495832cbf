import yoctoSpinner from 'yocto-spinner';
import { isTerminal } from './output.js';

/** Reports the step a long command is on: a spinner on a terminal, nothing otherwise or with --quiet. */
export interface Progress {
  step(text: string): void;
  done(): void;
}

export function progress(stream: NodeJS.WritableStream, quiet: boolean): Progress {
  if (quiet || !isTerminal(stream)) return { step() {}, done() {} };
  const started = Date.now();
  const spinner = yoctoSpinner({ stream: stream as NodeJS.WriteStream });
  return {
    step(text) {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (spinner.isSpinning) spinner.text = `${text} (${seconds} s)`;
      else spinner.start(text);
    },
    done() {
      spinner.clear();
      spinner.stop();
    },
  };
}
