/** Flow timestamps: parsed in ml-core/data (the reader turns a text time column into ms there). */
export { epochToMs, parseFlowTime, parseFlowTimes } from '../../../ml-core/data/flow-time.js';
