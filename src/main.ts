import './app/styles/global.css';
import { mount } from 'svelte';
import App from './app/App.svelte';
import { createAppClient } from './client/app-client.ts';

const target = document.getElementById('app');
if (!target) throw new Error('Kura: the #app element is missing from index.html');

export default mount(App, { target, props: { api: createAppClient() } });
