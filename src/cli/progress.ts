import yoctoSpinner from 'yocto-spinner';

/** Reports the step a long command is on: a spinner on a terminal, nothing otherwise or with --quiet. */
export interface Progress {
  step(text: string): void;
  done(): void;
}

export function progress(stream: NodeJS.WriteStream, quiet: boolean): Progress {
  if (quiet || !stream.isTTY) return { step() {}, done() {} };
  const started = Date.now();
  const spinner = yoctoSpinner({ stream });
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
