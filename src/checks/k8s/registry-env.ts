// One line per check: the catalog test fails when a check file is missing here.
export { default as environmentIsolation } from './environment-isolation.js'
