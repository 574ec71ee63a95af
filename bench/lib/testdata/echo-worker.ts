// A worker for the harness test: answers its input once, then stays silent until killed.
import { sendToParent, workerInput } from '../worker-process.ts';

const input = workerInput() as { readonly answer: boolean };
if (input.answer) await sendToParent({ echoed: input });
setInterval(() => undefined, 1000);
