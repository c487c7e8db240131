/**
 * The dashboard's entry point: mounts the application into #app. Styles come from one plain
 * CSS file (emitted as /assets/*.css) because the server's CSP refuses inline styles.
 */
import { render } from 'preact'
import { App } from './app'
import './styles.css'

const root = document.getElementById('app')
if (root) render(<App />, root)
